"""How numbers read on screen (the core gives exact values; this only formats them)."""


def short(n: float, unit: str = "") -> str:
    for div, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(n) >= div:
            return f"{n / div:.2f}{suffix}{unit}"
    return f"{n:g}{unit}"


def mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"
