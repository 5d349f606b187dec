"""torch.utils of the fake torch."""
