#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the demo's view goes: a terminal, redrawn in place with a few ANSI
/// sequences, or anything else (a pipe, a file, CI's log), written line by line.
///
/// The sequences used are the common VT100 ones every terminal emulator has:
/// cursor up, erase to end of line, erase below, and hide/show the cursor.
final class Terminal {
    /// The file descriptor written to.
    let descriptor: Int32
    /// Whether the output is an interactive terminal (redrawn in place).
    let isInteractive: Bool
    /// Whether to use colours: on a terminal, unless `NO_COLOR` is set.
    let usesColor: Bool
    private var linesDrawn = 0

    init(descriptor: Int32) {
        self.descriptor = descriptor
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        isInteractive = isatty(descriptor) == 1 && term != "dumb"
        usesColor = isInteractive && getenv("NO_COLOR") == nil
    }

    /// The terminal's width in columns (100 when it cannot tell).
    var width: Int {
        var size = winsize()
        #if os(Linux)
            let request = UInt(TIOCGWINSZ)
        #else
            let request = TIOCGWINSZ
        #endif
        guard ioctl(descriptor, request, &size) == 0, size.ws_col > 0 else { return 100 }
        return Int(size.ws_col)
    }

    /// Hides the cursor while the view is redrawn.
    func begin() {
        if isInteractive { write("\u{1B}[?25l") }
    }

    /// Shows the cursor again; the view stays on screen.
    func end() {
        if isInteractive { write("\u{1B}[?25h") }
        linesDrawn = 0
    }

    /// Replaces the lines drawn last with `lines`, each clipped to the width so
    /// that none wraps (a wrapped line would break the redraw).
    func redraw(_ lines: [String]) {
        let width = self.width
        var output = linesDrawn > 0 ? "\r\u{1B}[\(linesDrawn)A" : ""
        for line in lines {
            output += Self.clip(line, to: width - 1) + "\u{1B}[K\n"
        }
        output += "\u{1B}[J"
        write(output)
        linesDrawn = lines.count
    }

    /// Writes `line` and a newline, below whatever was drawn.
    func print(_ line: String = "") {
        write(line + "\n")
        linesDrawn = 0
    }

    /// Writes `text` whole, retrying after partial writes and interruptions.
    func write(_ text: String) {
        Self.write(text, to: descriptor)
    }

    /// Writes `text` to `descriptor` whole; usable from a signal handler's
    /// queue. Returns false if the descriptor refused it (a full disk, a
    /// closed pipe).
    @discardableResult
    static func write(_ text: String, to descriptor: Int32) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { buffer in
                #if canImport(Darwin)
                    Darwin.write(descriptor, buffer.baseAddress, buffer.count)
                #elseif canImport(Musl)
                    Musl.write(descriptor, buffer.baseAddress, buffer.count)
                #else
                    Glibc.write(descriptor, buffer.baseAddress, buffer.count)
                #endif
            }
            if count > 0 {
                bytes = bytes.dropFirst(count)
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// `line` cut to `width` visible characters; escape sequences (colours)
    /// take no room and are kept, and colours are reset after a cut.
    static func clip(_ line: String, to width: Int) -> String {
        var result = ""
        var visible = 0
        var inEscape = false
        var cut = false
        for character in line {
            if inEscape {
                result.append(character)
                if character.isLetter { inEscape = false }
                continue
            }
            if character == "\u{1B}" {
                inEscape = true
                result.append(character)
                continue
            }
            if visible >= width {
                cut = true
                continue
            }
            result.append(character)
            visible += 1
        }
        return cut && line.contains("\u{1B}") ? result + "\u{1B}[0m" : result
    }
}
