"""The error every pipeline step raises for its user (re-exported by pipelines.warehouse)."""


class PipelineError(RuntimeError):
    """A failure with a message meant for the person running the pipeline."""
