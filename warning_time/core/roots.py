"""Root-finding steps shared by the kernels."""
from ._jit import jit


@jit
def illinois_step(a, b, fa, fb, side, c, fc):
    """One Illinois (modified regula falsi) update of the bracket [a, b], whose values fa and fb
    differ in sign, by the trial point c with value fc: c replaces the end whose value has the
    sign of fc; when the same end is kept twice in a row its value is halved (the Illinois
    modification that restores superlinear convergence). ``side`` records which end moved last
    (+1: a, -1: b, 0: none yet).

    Returns (a, b, fa, fb, side, replaced_b)."""
    if (fc > 0.0) == (fb > 0.0):
        if side == -1:
            fa *= 0.5
        return a, c, fa, fc, -1, True
    if side == 1:
        fb *= 0.5
    return c, b, fc, fb, 1, False
