"""Failed-check benchmarks: root-cause lines on labelled logs (ci_benchmark) and the worst
attribution error (ci_attribution_eval)."""
