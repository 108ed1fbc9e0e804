"""bench/src/data.ts's uniformArray, reimplemented for the PyTorch scripts
(lenet_step.py, mlp_step.py) so they start from the same numbers as the
JavaScript engines and their first losses can be compared."""
import torch


def uniform_array(size, seed, scale=1.0):
    """xorshift32, each value ((s / 2**32) - 0.5) * 2 * scale, rounded to float32 as a 1-D tensor."""
    out = [0.0] * size
    s = (seed & 0xFFFFFFFF) or 1
    for i in range(size):
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        out[i] = (s / 2**32 - 0.5) * 2 * scale
    # torch.tensor(..., dtype=float32) rounds each float64 to nearest, as Float32Array stores do.
    return torch.tensor(out, dtype=torch.float32)
