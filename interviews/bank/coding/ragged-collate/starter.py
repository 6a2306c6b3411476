import torch
from torch.utils.data import Dataset


class RaggedDataset(Dataset):
    def __init__(self, flat: torch.Tensor, lengths: torch.Tensor):
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def __getitem__(self, i: int) -> torch.Tensor:
        raise NotImplementedError


def collate_fn(batch: list[torch.Tensor], pad_value: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Return (padded int64 (B, L), lengths int64 (B,), mask bool (B, L))."""
    raise NotImplementedError


def load_batch(flat: torch.Tensor, lengths: torch.Tensor, indices: torch.Tensor, pad_value: int):
    ds = RaggedDataset(flat, lengths)
    return collate_fn([ds[int(i)] for i in indices], pad_value)
