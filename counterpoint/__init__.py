"""Counterpoint: an annotated reader for a contested debate.

The package is the whole logic of the reader, with no MkDocs import: `corpus`
loads and checks the editors' files, `anchoring` finds quotes, `graph` links
passages, `render` makes HTML, `build` plans one site build. The MkDocs hook in
hooks/ only wires MkDocs' events to it.
"""
