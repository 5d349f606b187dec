"""torch.jit with script and ScriptModule.save, but no Attribute and no ScriptModule.define."""


def script(fn):
    return fn


class ScriptModule:
    def save(self, path):
        pass
