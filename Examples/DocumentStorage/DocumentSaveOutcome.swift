import MVXMetricsCore

/// How a document save attempt ended.
public enum DocumentSaveOutcome: MetricCase {
    /// The document was written.
    case success
    /// Writing failed (the folder is missing, the disk is full, …).
    case failure
    /// The content is larger than the storage accepts.
    case tooLarge
    /// The name is empty or is not a plain file name.
    case invalidName
}
