"""torch.nn with SyncBatchNorm; its ``parallel`` module is imported as the real one is."""

from . import parallel

__all__ = ["SyncBatchNorm", "parallel"]


class SyncBatchNorm:
    @classmethod
    def convert_sync_batchnorm(cls, module):
        return module
