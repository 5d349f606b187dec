"""As the real torch.utils.tensorboard does, this needs the tensorboard package.

It fails the way ``import tensorboard`` fails when tensorboard is not installed, whether
or not it is installed where the tests run.
"""

raise ModuleNotFoundError("No module named 'tensorboard'", name="tensorboard")
