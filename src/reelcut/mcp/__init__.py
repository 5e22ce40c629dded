"""reelcut's MCP door: the same tools over stdio (``reelcut mcp``, local files) and over HTTP
(``reelcut serve`` at ``/mcp``, an account's uploads and sessions). Needs the ``mcp`` extra.

:mod:`~reelcut.mcp.tools` holds the tool bodies (thin calls into :mod:`reelcut.editor`),
:mod:`~reelcut.mcp.place` what names mean and who pays, :mod:`~reelcut.mcp.server` the MCP
server built with the official SDK. The SDK is imported only by ``server``.
"""
