import DocumentStorageExample
import Foundation
import MVXMetrics
import TCPStreamExample

// Runs the two running examples against an inline recorder and prints what
// their metrics measured: document saves into a temporary folder, and a TCP
// conversation with a local echo server that injects faults.

let recorder = InlineMetricsRecorder(entityID: "examples")
for metric in try DocumentStorageMetrics.all() + TCPStreamMetrics.all() {
    try recorder.register(metric)
}

// Document storage: successes, a document that is too large, and an invalid name.
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mvx-metrics-example-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
let storage = DocumentStorage(directory: folder, maximumSize: .kibibytes(64), metrics: recorder)
for index in 0..<20 {
    let size = index == 7 ? 100_000 : 512 * (index + 1)
    try? storage.saveDocument(
        named: index == 13 ? "../escape" : "document-\(index).txt", content: Array(repeating: 42, count: size))
}

// TCP stream: one connection per behaviour of the echo server.
let behaviours: [TCPEchoServer.Behavior] = [.echo, .echo, .silent, .disconnect, .echoThenDisconnect(afterBytes: 10)]
let server = try TCPEchoServer { behaviours[$0 % behaviours.count] }
for _ in behaviours {
    let stream = TCPStream(metrics: recorder)
    guard (try? stream.open(host: "127.0.0.1", port: server.port)) != nil else { continue }
    for message in ["hello", "metrics", "world"] {
        guard (try? stream.write(Array(message.utf8))) != nil else { break }
        guard (try? stream.read(upTo: 64, timeout: .milliseconds(50))) != nil else { break }
    }
    try? stream.drain(timeout: .milliseconds(100))
    try? stream.close()
}
server.stop()

// Nothing listens here any more: the connection is refused.
let refused = TCPStream(metrics: recorder)
try? refused.open(host: "127.0.0.1", port: server.port)

print(recorder.snapshot())
if CommandLine.arguments.contains("--json") {
    print(String(decoding: try recorder.snapshot().jsonData(prettyPrinted: true), as: UTF8.self))
}
