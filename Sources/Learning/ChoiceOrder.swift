/// The order a quiz question's choices are shown in: shuffled, so the right answer's position tells
/// nothing, but the same for one learner's view of one question until they submit an attempt (a
/// reload does not reshuffle the choices they are reading). Grading works on the choices' own
/// numbers, never on positions.
public enum ChoiceOrder {
    /// A permutation of `0..<count`, decided by `seed` alone.
    public static func order(count: Int, seed: String) -> [Int] {
        var state = seed.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }  // FNV-1a
        var order = Array(0..<count)
        for index in stride(from: count - 1, to: 0, by: -1) {
            state &+= 0x9e37_79b9_7f4a_7c15  // SplitMix64
            var mixed = (state ^ (state >> 30)) &* 0xbf58_476d_1ce4_e5b9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
            mixed ^= mixed >> 31
            order.swapAt(index, Int(mixed % UInt64(index + 1)))
        }
        return order
    }
}
