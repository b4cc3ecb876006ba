"""The Design tab's cost charts (parameters, MACs and memory per block)."""
