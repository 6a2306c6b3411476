import torch


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    probs = torch.softmax(logits, dim=-1)
    sorted_probs, _ = torch.sort(probs, dim=-1, descending=True)
    # Mass strictly above each sorted position; for tied values only the first of the tie run
    # has exactly "strictly larger" mass, so look it up by the position of the first equal value.
    mass_before = torch.cumsum(sorted_probs, dim=-1) - sorted_probs
    out = logits.clone()
    for row in range(logits.shape[0]):
        sp = sorted_probs[row]
        first_equal = torch.searchsorted(-sp, -probs[row], side="left")
        strictly_larger = mass_before[row][first_equal]
        out[row][strictly_larger >= p] = float("-inf")
    return out
