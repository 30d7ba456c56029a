"""The actions app's entries in the core's registry, and the derived role "pilot"."""
