"""Export a design: PyTorch source, ONNX, Netron. torch and onnx are imported lazily, inside the
functions that need them, so that importing this package costs nothing."""
