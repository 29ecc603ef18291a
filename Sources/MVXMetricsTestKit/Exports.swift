@_exported import MVXMetrics
