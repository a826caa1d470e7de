import SohoaServer
import Testing

@Suite struct ListenAddressTests {
    @Test func ipv4AndPort() throws {
        let address = try #require(ListenAddress("127.0.0.1:8318"))
        #expect(address.host == "127.0.0.1" && address.port == 8318 && address.isLoopback)
        #expect(address.description == "127.0.0.1:8318")
    }

    @Test func bracketedIPv6() throws {
        let address = try #require(ListenAddress("[::1]:9000"))
        #expect(address.host == "::1" && address.port == 9000 && address.isLoopback)
        #expect(address.description == "[::1]:9000")
    }

    @Test func portZeroMeansAnyFreePort() throws {
        #expect(try #require(ListenAddress("127.0.0.1:0")).port == 0)
    }

    @Test func nonLoopbackIsNotLoopback() throws {
        #expect(try #require(ListenAddress("10.1.2.3:80")).isLoopback == false)
    }

    @Test(arguments: ["", "8318", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "256.0.0.1:80",
                      "127.0.0:80", "example.org:80", "[::1]80", "[]:80", "127.0.0.1:80a", "127.0.0.1:-1",
                      "１２７.0.0.1:80"])
    func malformedAddressesAreRefused(text: String) {
        #expect(ListenAddress(text) == nil)
    }
}
