import MVXMetricsTestSupport
import Testing

/// The trait the long suites take really moves them off the cooperative
/// threads: a body that blocked there would stall every other test's tasks.
@Suite struct OwnThreadTraitTests {
    @Test(.onAThreadOfItsOwn) func aSynchronousBodyRunsOnTheTestsOwnThread() {
        #expect(OwnThreadTrait.isCurrentThreadATestsOwn)
    }

    @Test(.onAThreadOfItsOwn) func anAsynchronousBodyAndItsChildTasksDoToo() async throws {
        #expect(OwnThreadTrait.isCurrentThreadATestsOwn)
        try await Task.sleep(for: .milliseconds(1))
        #expect(OwnThreadTrait.isCurrentThreadATestsOwn)
        async let child = OwnThreadTrait.isCurrentThreadATestsOwn
        #expect(await child)
    }

    @Test func withoutItATestRunsOnACooperativeThread() {
        #expect(!OwnThreadTrait.isCurrentThreadATestsOwn)
    }
}
