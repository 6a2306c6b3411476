import torch
from torch.utils.data import Dataset


class RaggedDataset(Dataset):
    def __init__(self, flat: torch.Tensor, lengths: torch.Tensor):
        self.flat = flat
        self.lengths = lengths
        ends = torch.cumsum(lengths, dim=0)
        self.starts = ends - lengths

    def __len__(self) -> int:
        return int(self.lengths.shape[0])

    def __getitem__(self, i: int) -> torch.Tensor:
        start = int(self.starts[i])
        return self.flat[start : start + int(self.lengths[i])]


def collate_fn(batch: list[torch.Tensor], pad_value: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    lengths = torch.tensor([len(s) for s in batch], dtype=torch.int64)
    longest = int(lengths.max()) if len(batch) else 0
    padded = torch.full((len(batch), longest), pad_value, dtype=torch.int64)
    for row, seq in enumerate(batch):
        padded[row, : len(seq)] = seq
    # The mask comes from the lengths, not from comparing with pad_value: pad_value may be a real token.
    mask = torch.arange(longest).unsqueeze(0) < lengths.unsqueeze(1)
    return padded, lengths, mask


def load_batch(flat: torch.Tensor, lengths: torch.Tensor, indices: torch.Tensor, pad_value: int):
    ds = RaggedDataset(flat, lengths)
    return collate_fn([ds[int(i)] for i in indices], pad_value)
