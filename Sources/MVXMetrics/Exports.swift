// The engine implements the API that libraries use, so an application that
// imports it sees one module.
@_exported import MVXMetricsCore
