"""ConvSketch: design efficient CNNs by hand and see what every choice costs."""
__version__ = "0.1.0"
