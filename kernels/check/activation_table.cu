// Host build of the kernels' activation math (common.cuh), for ActivationTableTest: prints
// "act x value derivative" for element-wise activations and "act r gain gainDerivTimesR" for
// the radial ones (b = 0.5 and b = 0), on a fixed grid, in full double precision.
#include <cstdio>
#include "../common.cuh"

int main() {
    const double xs[] = {-800, -8, -3.5, -1, -0.25, -1e-3, 0, 1e-6, 1e-3, 0.3, 1, 2.5, 6, 12, NAN};
    for (int act = ACT_IDENTITY; act <= ACT_TANH; act++)
        for (double x : xs) std::printf("%d %.17g %.17g %.17g\n", act, x, act_value(act, x), act_derivative(act, x));
    const double rs[] = {0, 1e-8, 1e-5, 5e-3, 0.02, 0.4999, 0.5, 0.7, 1, 3, 30};
    for (int act = ACT_RADIAL_TANH; act <= ACT_RADIAL_SIGMOID; act++)
        for (double b : {0.5, 0.0})
            for (double r : rs)
                std::printf("%d %.17g %.17g %.17g %.17g\n", act, r, b, radial_gain(act, r, b), radial_gain_deriv_r(act, r, b));
    return 0;
}
