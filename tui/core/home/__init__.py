"""The home screen's engine: where batches are (roots), what they are (a fast listing from
batch.toml), and each batch's figures for one annotator. No Textual here."""
