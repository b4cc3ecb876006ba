"""The Timing tab: the design timed on this device in a worker process."""
