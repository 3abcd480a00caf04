"""The theme's templates compiled once per `mkdocs serve`, not once per rebuild.

MkDocs makes a new Jinja environment for every build, which parses and compiles every template
of the theme again (38 of Material's and ours, about a tenth of a warm rebuild at 200 texts).
`MemoryBytecodeCache` is a Jinja bytecode cache kept in memory by the plugin between rebuilds.
Jinja itself makes it sound: it stores each template's code with the checksum of the source it was
compiled from and, on a later load, uses that code only if the template's source has the same
checksum (an edited template is compiled again). The key also holds the environment's options
that change the compiled code (delimiters, whitespace control, extensions), so that another
configuration of the theme shares nothing.
"""

from __future__ import annotations

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache


class MemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._options = ""

    def install(self, env: Environment) -> None:
        """Have `env` keep its compiled templates here; the options in the key are this environment's."""
        self._options = repr(
            (
                env.block_start_string,
                env.block_end_string,
                env.variable_start_string,
                env.variable_end_string,
                env.comment_start_string,
                env.comment_end_string,
                env.line_statement_prefix,
                env.line_comment_prefix,
                env.trim_blocks,
                env.lstrip_blocks,
                env.newline_sequence,
                env.keep_trailing_newline,
                env.optimized,
                sorted(env.extensions),
                env.autoescape if isinstance(env.autoescape, bool) else id(env.autoescape),
            )
        )
        env.bytecode_cache = self

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{name}\0{self._options}", filename)

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # Jinja drops it if the source's checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._code.clear()

    def __len__(self) -> int:
        return len(self._code)
