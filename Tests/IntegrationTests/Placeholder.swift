import Testing
import Hummingbird
import PharosServer
@Test func placeholder2() { #expect(1 == 1) }
