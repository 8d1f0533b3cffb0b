"""Everything that talks to GitHub: the runner's files (outputs, job summary), workflow
commands (annotations), the REST client and the sticky pull request comment.

The core never imports from here; the CLI and the action entry point do.
"""
