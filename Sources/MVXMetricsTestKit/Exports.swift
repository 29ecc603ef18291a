// The test kit is used together with the core; importing it is enough.
@_exported import MVXMetrics
