/// Gathers work that arrives while earlier work is being done, and hands it over as one batch.
///
/// The first caller starts a batch at once; everyone who comes while it runs waits for the next
/// one, so under load each batch carries everything that queued up, and when idle there is no wait.
/// Each caller gets its own result. If a batch of several fails, its items are retried one at a
/// time, so one bad item fails alone.
actor Batcher<Item: Sendable, Output: Sendable> {
    private struct Waiting {
        let item: Item
        let continuation: CheckedContinuation<Output, any Error>
    }

    private let process: @Sendable ([Item]) async throws -> [Output]
    private var queued: [Waiting] = []
    private var isRunning = false

    /// `process` gets one batch and returns one output per item, in order.
    init(process: @escaping @Sendable ([Item]) async throws -> [Output]) {
        self.process = process
    }

    func submit(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            queued.append(Waiting(item: item, continuation: continuation))
            if !isRunning {
                isRunning = true
                Task { await runQueued() }
            }
        }
    }

    private func runQueued() async {
        while !queued.isEmpty {
            let batch = queued
            queued = []
            await run(batch)
        }
        isRunning = false
    }

    private func run(_ batch: [Waiting]) async {
        do {
            let outputs = try await process(batch.map(\.item))
            for (waiting, output) in zip(batch, outputs) { waiting.continuation.resume(returning: output) }
        } catch {
            guard batch.count > 1 else {
                batch[0].continuation.resume(throwing: error)
                return
            }
            for waiting in batch { await run([waiting]) }
        }
    }
}
