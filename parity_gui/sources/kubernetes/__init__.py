"""Kubernetes: manifests, kustomize overlays and Helm releases (see :mod:`.load`)."""
