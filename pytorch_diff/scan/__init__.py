"""``ptdiff scan``: find in your own code what an upgrade of torch will break, from the model alone.

One module per role, each short enough to read in one sitting:

- ``findings``: the codes (PTD101 … PTD900) and the ``Finding`` record every format reads;
- ``rules``: the rule table, built from the model for a ``--from``/``--to`` range;
- ``resolve``: which names of a syntax tree are torch APIs (imports, aliases, scopes, guards);
- ``edits``: the safe fixes, for the renames the model calls safe;
- ``check``: one file or notebook in, its findings out (noqa, columns, unreadable files);
- ``files``: which files a scan reads (walking, skipped directories, ``--exclude``);
- ``notebook``: the code cells of an ``.ipynb`` file;
- ``runner``: every core at work on the files, in chunks;
- ``config``: ``[tool.ptdiff]`` and the torch floor a project declares; ``toml_subset`` reads
  pyproject.toml on Python 3.10, which has no ``tomllib``;
- ``formats``: text, json, sarif, markdown and github output;
- ``command``: the entry point the CLI calls.

Nothing here imports the rest of ptdiff's rendering or Typer.
"""
