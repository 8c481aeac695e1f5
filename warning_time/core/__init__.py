"""numba kernels: plain float64 scalars and arrays, SI units, no I/O, no raise in hot loops."""
