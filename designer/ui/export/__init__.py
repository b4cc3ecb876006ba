"""The Export menu (PyTorch source, ONNX) and the Netron view of an exported model."""
