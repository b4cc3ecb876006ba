"""Importers: an ONNX file or a PyTorch model file as a ConvSketch design (the mirror of
``designer.export``). Each front end reads its format into the neutral op graph of
:mod:`.graph`; :mod:`.recognise` turns that graph into blocks through the same ``Builder`` the
presets use. torch and onnx are imported lazily, only by the front end that needs them."""
