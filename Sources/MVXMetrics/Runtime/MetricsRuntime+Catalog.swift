extension MetricsRuntime {
    /// What every recorder of the runtime measures (`MetricCatalog`), from
    /// `snapshot()`: what `mvx-metrics-demo --catalog` prints, and what a
    /// program can write out for its documentation and dashboards.
    public func catalog() -> MetricCatalog {
        MetricCatalog(snapshot())
    }

    /// What every recorder measures, without blocking a task's thread; see
    /// `catalog()`.
    public func catalog() async -> MetricCatalog {
        MetricCatalog(await snapshot())
    }
}
