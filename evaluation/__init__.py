"""Measurement against the simulator's truth: the models and the merchant warnings as the pipeline left them in the
lake (read-only), scored against what really happened. Outside the pipeline and outside the simulator: the pipeline
never reads the truth, and the simulator (standing for the source systems) knows nothing of the pipeline."""
