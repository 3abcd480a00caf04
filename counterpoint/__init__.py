"""Counterpoint: an annotated reader for a contested debate.

The package is the whole logic of the reader: `corpus` loads and checks the
editors' files, `anchoring` finds quotes, `graph` links passages, `render` makes
HTML, `build` plans one site build. Only `mkdocs_plugin` imports MkDocs: the
hook in hooks/ wires MkDocs' events to its one plugin object.
"""
