/// The bucket index of a magnitude in a base-2 exponential histogram, read
/// from a `Double`'s bits and two small tables rather than a logarithm, so it
/// costs the same for every value and needs no math library.
///
/// At scale `s` the base is 2^(2^-s) and bucket `i` holds the magnitudes in
/// (base^i, base^(i+1)]: OpenTelemetry's mapping. The index is computed at
/// ``maximumScale`` and shifted right for a lower scale, which gives exactly
/// the lower scale's index (⌈x/n⌉ - 1 = ⌊(⌈x⌉ - 1)/n⌋ for a whole n). An
/// exact power of two is always put in the bucket it closes. The boundaries
/// inside a power of two are computed by square roots and products, each
/// within a few units in the last place of the true 2^(k/256); a value that
/// close to a boundary may land in the bucket next to it.
@usableFromInline
enum ExponentialIndexing {
    /// The finest scale: 256 buckets per power of two, a relative error of
    /// at most 0.14 %.
    @usableFromInline static let maximumScale = 8
    /// Mantissa bits that pick a cell of ``cells``: a cell (2⁻⁹ of the
    /// significand) is narrower than the narrowest bucket (2^(1/256) − 1 ≈
    /// 0.0027), so at most one boundary lies inside it.
    @usableFromInline static let cellBits: UInt64 = 9

    /// The mantissa bits of 2^(k/256) for k in 0...255, then 2⁵² − 1, which
    /// no mantissa exceeds.
    static let boundaries: [UInt64] = {
        // roots[n] = 2^(2^n / 256), from repeated square roots of 2.
        var roots = [Double](repeating: 2.0.squareRoot(), count: 8)
        for n in stride(from: 6, through: 0, by: -1) { roots[n] = roots[n + 1].squareRoot() }
        var result = (0..<256).map { k -> UInt64 in
            var value = 1.0
            for n in 0..<8 where k & (1 << n) != 0 { value *= roots[n] }
            return value.significandBitPattern
        }
        result.append((1 << 52) - 1)
        return result
    }()

    /// For each cell of the significand (its top ``cellBits`` bits): in the
    /// top 8 bits, how many boundaries after the first lie below the cell;
    /// in the low 52, the mantissa of the next boundary. A histogram holds
    /// this array, so recording reads no global.
    @usableFromInline static let cells: [UInt64] = {
        var result = [UInt64](repeating: 0, count: 1 << Int(cellBits))
        var below = 0
        for cell in result.indices {
            let low = UInt64(cell) << (52 - cellBits)
            while below < 255, boundaries[below + 1] < low { below += 1 }
            result[cell] = UInt64(below) << 56 | boundaries[below + 1]
        }
        return result
    }()

    /// The index at ``maximumScale`` of a positive normal magnitude.
    @inlinable @inline(__always)
    static func maximumScaleIndex(of magnitude: Double, cells: [UInt64]) -> Int {
        let mantissa = magnitude.significandBitPattern
        let exponent = Int(magnitude.exponent) << maximumScale
        if mantissa == 0 { return exponent - 1 }
        let cell = cells[Int(truncatingIfNeeded: mantissa >> (52 - cellBits))]
        let next = cell & ((1 << 52) - 1)
        return exponent + Int(truncatingIfNeeded: cell >> 56) + (next < mantissa ? 1 : 0)
    }

    /// The index at `scale` of a positive normal magnitude.
    @inlinable @inline(__always)
    static func index(of magnitude: Double, scale: Int, cells: [UInt64]) -> Int {
        maximumScaleIndex(of: magnitude, cells: cells) >> (maximumScale - scale)
    }

    /// The upper bound of bucket `index` at `scale`: base^(index+1).
    static func upperBound(of index: Int, scale: Int) -> Double {
        power(of2: index + 1, scale: scale)
    }

    /// 2^(k / 2^scale), exact for a whole power of two.
    static func power(of2 k: Int, scale: Int) -> Double {
        guard scale > 0 else { return Double(sign: .plus, exponent: k << -scale, significand: 1) }
        let perOctave = 1 << scale
        let octave = k >= 0 ? k / perOctave : -((-k + perOctave - 1) / perOctave)
        let step = (k - octave * perOctave) << (maximumScale - scale)
        let fraction = Double(sign: .plus, exponentBitPattern: 1023, significandBitPattern: boundaries[step])
        return Double(sign: .plus, exponent: octave, significand: fraction)
    }
}
