"""On-device timing: runs in a separate worker process (torch and onnxruntime are imported only
there), so a crash or an out-of-memory never takes the app down."""
