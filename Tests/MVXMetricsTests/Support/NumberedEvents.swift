import MVXMetrics

/// A binary number spelled in types, so a test can make hundreds of distinct
/// event types at run time.
protocol TypeNumber { static var digits: String { get } }
enum NumberEnd: TypeNumber { static var digits: String { "" } }
enum Digit0<Rest: TypeNumber>: TypeNumber { static var digits: String { "0" + Rest.digits } }
enum Digit1<Rest: TypeNumber>: TypeNumber { static var digits: String { "1" + Rest.digits } }

/// An event type with nothing in it but its type, made by `init()`.
protocol EmptyEvent: MetricEvent { init() }

struct NumberedEvent<Number: TypeNumber>: EmptyEvent {
    static var eventType: String { "test_routes.t" + Number.digits }
}

/// Calls `body` with the event type numbered `value`, spelled in `bits` digits.
func withNumberedEvent<Number: TypeNumber>(
    _ number: Number.Type, bits: Int, value: Int, _ body: (any EmptyEvent.Type) throws -> Void
) rethrows {
    guard bits > 0 else { return try body(NumberedEvent<Number>.self) }
    if value & 1 == 0 {
        try withNumberedEvent(Digit0<Number>.self, bits: bits - 1, value: value >> 1, body)
    } else {
        try withNumberedEvent(Digit1<Number>.self, bits: bits - 1, value: value >> 1, body)
    }
}

/// Registers a counter named after the numbered event type.
func registerCounter<Event: MetricEvent>(of type: Event.Type, in recorder: QueuedMetricsRecorder) throws {
    try recorder.register(
        EventCountMetric("test_routes.c" + Event.eventType.dropFirst("test_routes.t".count), of: type))
}

/// Records `times` events of the numbered event type.
func recordEmpty<Event: EmptyEvent>(_ type: Event.Type, times: Int, in recorder: QueuedMetricsRecorder) {
    for _ in 0..<times { recorder.record(Event()) }
}
