"""The canonical tree, paths, origins and drift records. Standard library only."""
