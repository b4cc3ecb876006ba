"""The Design tab's drawing: the canvas scene and view, one item per block, and the palette
blocks are dragged from."""
