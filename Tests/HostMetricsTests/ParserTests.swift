import Testing
@testable import HostMetrics
import PharosTestSupport

/// Every parser on good input, and on broken input (truncated at every byte, non-numeric
/// fields, binary noise): an answer or a thrown error, never a trap.
@Suite struct ParserTests {
    static let stat = """
        cpu  1000 20 300 4000 50 0 6 7 0 0
        cpu0 500 10 150 2000 25 0 3 4 1 2
        cpu2 500 10 150 2000 25 0 3 3
        intr 12345 1 2 3
        ctxt 999
        btime 1700000000
        processes 4242
        procs_running 3
        procs_blocked 1
        softirq 10 1 2 3 4 5 6 7 8 9 10

        """

    @Test func procStat() throws {
        let stat = try ProcStat.parse(Array(Self.stat.utf8), path: "stat")
        #expect(stat.cpus.count == 3)
        #expect(stat.cpus[0].user == 5 && stat.cpus[0].guest == 0.01 && stat.cpus[0].guestNice == 0.02)
        #expect(stat.cpus[1] == ProcStat.CPU())  // cpu1 offline: zeros, as procfs
        #expect(stat.cpus[2].steal == 0.03 && stat.cpus[2].guest == 0)
        #expect(stat.bootTime == 1_700_000_000 && stat.interrupts == 12345 && stat.contextSwitches == 999)
        #expect(stat.processesCreated == 4242 && stat.processesRunning == 3 && stat.processesBlocked == 1)
    }

    @Test(arguments: ["cpu0 12 x 3\n", "btime soon\n", "cpuX 1 2 3\n", "cpu99999999 1\n", "ctxt -1\n"])
    func procStatRefuses(_ text: String) {
        #expect(throws: HostMetricsError.self) { try ProcStat.parse(Array(text.utf8), path: "stat") }
    }

    static let meminfo = """
        MemTotal:       16384000 kB
        MemFree:         1024000 kB
        Active(anon):      53248 kB
        HugePages_Total:       0
        Hugepagesize:       2048 kB

        """

    @Test func meminfo() throws {
        let fields = try MeminfoCollector.parse(Array(Self.meminfo.utf8), path: "meminfo")
        #expect(fields.map(\.key) == ["MemTotal_bytes", "MemFree_bytes", "Active_anon_bytes", "HugePages_Total", "Hugepagesize_bytes"])
        #expect(fields[0].value == 16_384_000 * 1024 && fields[3].value == 0)
    }

    @Test(arguments: ["MemTotal:\n", "MemTotal: lots kB\n", "MemTotal: 1 kB extra\n"])
    func meminfoRefuses(_ text: String) {
        #expect(throws: HostMetricsError.self) { try MeminfoCollector.parse(Array(text.utf8), path: "meminfo") }
    }

    @Test func loadavgAndFilefd() throws {
        #expect(try LoadavgCollector.parse(Array("0.66 0.94 1.47 2/300 4242\n".utf8), path: "l") == [0.66, 0.94, 1.47])
        #expect(throws: HostMetricsError.self) { try LoadavgCollector.parse(Array("0.66 0.94".utf8), path: "l") }
        #expect(throws: HostMetricsError.self) { try LoadavgCollector.parse(Array("0.66 x 1".utf8), path: "l") }
        let fd = try FilefdCollector.parse(Array("733\t0\t2466239\n".utf8), path: "f")
        #expect(fd.allocated == 733 && fd.maximum == 2_466_239)
        #expect(throws: HostMetricsError.self) { try FilefdCollector.parse(Array("733 0 2466239\n".utf8), path: "f") }
        #expect(throws: HostMetricsError.self) { try FilefdCollector.parse(Array("a\t0\t1\n".utf8), path: "f") }
    }

    @Test func pressure() throws {
        let text = "some avg10=0.00 avg60=0.10 avg300=0.00 total=597412548\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
        let totals = try PressureCollector.parse(Array(text.utf8), path: "p")
        #expect(totals == .init(some: 597_412_548, full: 0))
        #expect(PressureCollector.seconds(597_412_548) == 597.4125479999999)  // node_exporter's µs / 1000 / 1000
        for broken in ["some avg10=0.00 total=1\n", "some avg10=x avg60=0 avg300=0 total=1\n", "full avg10=0 avg60=0 avg300=0 total=-1\n"] {
            #expect(throws: HostMetricsError.self) { try PressureCollector.parse(Array(broken.utf8), path: "p") }
        }
    }

    @Test func diskstats() throws {
        let text = """
            254       0 vda 192277 12925 8875970 113121 77144 87407 13217840 77656 0 19028 194229 15952 3 7755040 2793 12255 658
            254       1 vda1 100 0 200 3 0 0 0 0 0 3 3
               7       0 loop0 1 2 3 4 5 6 7 8 9 10
            """
        let devices = try DiskstatsCollector.parse(Array(text.utf8), path: "d")
        #expect(devices.map(\.name) == ["vda", "vda1"])  // loop0 has 10 numbers: skipped as procfs skips it
        #expect(devices[0].stats.count == 17 && devices[0].stats[3] == 113_121)
        #expect(throws: HostMetricsError.self) { try DiskstatsCollector.parse(Array("8 0 sda 1 2 x 4 5 6 7 8 9 10 11\n".utf8), path: "d") }
        #expect(DiskstatsCollector.excluded("sda1") && DiskstatsCollector.excluded("nvme0n1p2") && DiskstatsCollector.excluded("loop3"))
        #expect(DiskstatsCollector.excluded("xvda1") && DiskstatsCollector.excluded("ram0"))
        #expect(!DiskstatsCollector.excluded("sda") && !DiskstatsCollector.excluded("nvme0n1") && !DiskstatsCollector.excluded("vda"))
        #expect(!DiskstatsCollector.excluded("dm-0") && !DiskstatsCollector.excluded("zram0") && !DiskstatsCollector.excluded("loop"))
    }

    @Test func mounts() throws {
        let text = "/dev/vda / ext4 rw,relatime 0 0\nproc /proc proc rw 0 0\nfoo /mnt/a\\040b xfs ro,x 0 0\n"
        let mounts = try FilesystemCollector.parse(Array(text.utf8), path: "m", paths: HostPaths())
        #expect(mounts.map(\.mountPoint) == ["/", "/proc", "/mnt/a b"])
        #expect(throws: HostMetricsError.self) { try FilesystemCollector.parse(Array("/dev/vda / ext4\n".utf8), path: "m", paths: HostPaths()) }
        for excluded in ["/dev", "/dev/shm", "/proc", "/sys/fs/cgroup", "/run/credentials/x", "/var/lib/docker/overlay2/a"] {
            #expect(FilesystemCollector.excludesMountPoint(excluded), "\(excluded)")
        }
        for kept in ["/", "/devices", "/run", "/run/credentials/", "/var/lib/docker", "/home"] {
            #expect(!FilesystemCollector.excludesMountPoint(kept), "\(kept)")
        }
    }

    @Test func procNetDev() throws {
        let text = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:   1000      10    0    0    0     0          0         0     1000      10    0    0    0     0       0          0
              eth0: 64072542    1334    1    2    3     4          5         6    66119     700    7    8    9    10      11         12
            """
        let devices = try NetdevCollector.parseProcNetDev(Array(text.utf8), path: "n")
        #expect(devices.map(\.name) == ["lo", "eth0"])
        #expect(devices[1].stats.first { $0.key == "transmit_colls" }?.value == 10)
        #expect(throws: HostMetricsError.self) { try NetdevCollector.parseProcNetDev(Array("a\nb\neth0: 1 2 3\n".utf8), path: "n") }
        #expect(throws: HostMetricsError.self) { try NetdevCollector.parseProcNetDev(Array("a\nb\neth0 1 2 3\n".utf8), path: "n") }
    }

    @Test func netlinkMessages() throws {
        var links: [Netlink.Link] = []
        // A length pointing past the datagram is refused, not read.
        var message = [UInt8](repeating: 0, count: 16)
        message[0] = 200
        message[4] = 16
        #expect(throws: HostMetricsError.self) { _ = try Netlink.parse(message, 0..<message.count, into: &links) }
        // NLMSG_DONE ends the dump; a truncated header is ignored.
        var done = [UInt8](repeating: 0, count: 20)
        done[0] = 16
        done[4] = 3
        #expect(try Netlink.parse(done, 0..<20, into: &links))
        #expect(try !Netlink.parse(Array(done[0..<10]), 0..<10, into: &links))
    }

    @Test func osRelease() throws {
        let text = """
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME="Debian GNU/Linux"
            VERSION_ID="12"
            # a comment
            ID=debian
            HOME_URL='https://www.debian.org/'

            """
        let release = try OSCollector.parse(Array(text.utf8), path: "o")
        #expect(release["PRETTY_NAME"] == "Debian GNU/Linux 12 (bookworm)" && release["ID"] == "debian")
        #expect(release["HOME_URL"] == "https://www.debian.org/")
        #expect(OSCollector.majorMinor("12") == 12 && OSCollector.majorMinor("22.04.3") == 22.04 && OSCollector.majorMinor("x") == 0)
        #expect(throws: HostMetricsError.self) { try OSCollector.parse(Array("NAME=\"open\n".utf8), path: "o") }
        #expect(throws: HostMetricsError.self) { try OSCollector.parse(Array("just words\n".utf8), path: "o") }
    }

    @Test func cpuClampAndLists() {
        var last: [ProcStat.CPU] = []
        var cpu = ProcStat.CPU()
        cpu.idle = 100
        cpu.user = 10
        CPUCollector.clamp(&last, [cpu])
        var lower = cpu
        lower.user = 9  // a counter going back is held
        lower.idle = 99
        CPUCollector.clamp(&last, [lower])
        #expect(last[0].user == 10 && last[0].idle == 100)
        var reset = cpu
        reset.idle = 50  // idle back by 3 s or more: start again
        reset.user = 1
        CPUCollector.clamp(&last, [reset])
        #expect(last[0].idle == 50 && last[0].user == 1)
        #expect(CPUCollector.parseCPUList(Array("0-2,5\n".utf8)) == [0, 1, 2, 5])
        #expect(CPUCollector.parseCPUList(Array("\n".utf8)) == [])
        #expect(CPUCollector.parseCPUList(Array("3-1".utf8)) == nil)
        #expect(CPUCollector.parseCPUList(Array("a".utf8)) == nil)
    }

    /// Each parser on every prefix of its good input and on corrupted copies: no trap.
    @Test func truncatedAndCorruptedInputNeverTraps() {
        let inputs: [(String, ([UInt8]) -> Void)] = [
            (Self.stat, { _ = try? ProcStat.parse($0, path: "s") }),
            (Self.meminfo, { _ = try? MeminfoCollector.parse($0, path: "m") }),
            ("0.66 0.94 1.47 2/300 4242\n", { _ = try? LoadavgCollector.parse($0, path: "l") }),
            ("733\t0\t2466239\n", { _ = try? FilefdCollector.parse($0, path: "f") }),
            ("some avg10=0.00 avg60=0.10 avg300=0.00 total=5\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
             { _ = try? PressureCollector.parse($0, path: "p") }),
            ("254 0 vda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17\n", { _ = try? DiskstatsCollector.parse($0, path: "d") }),
            ("/dev/vda / ext4 rw 0 0\n", { _ = try? FilesystemCollector.parse($0, path: "m", paths: HostPaths()) }),
            ("h\nh\n eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", { _ = try? NetdevCollector.parseProcNetDev($0, path: "n") }),
            ("NAME=\"Debian\"\nVERSION_ID='12'\n", { _ = try? OSCollector.parse($0, path: "o") }),
            ("0-3,7\n", { _ = CPUCollector.parseCPUList($0) }),
            ("E:ID_MODEL=x\n", { _ = $0 }),
        ]
        var noise = SplitMix64(seed: 14)
        for (text, parse) in inputs {
            let bytes = Array(text.utf8)
            for end in 0...bytes.count { parse(Array(bytes[0..<end])) }
            for _ in 0..<200 {
                var corrupted = bytes
                let position = Int(noise.next() % UInt64(corrupted.count))
                corrupted[position] = UInt8(truncatingIfNeeded: noise.next())
                parse(corrupted)
            }
            parse([0xFF, 0x00, 0x0A, 0x3A])
            parse([])
        }
        var links: [Netlink.Link] = []
        for _ in 0..<500 {
            let count = Int(noise.next() % 96)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: noise.next() % 40) }
            _ = try? Netlink.parse(bytes, 0..<bytes.count, into: &links)
        }
    }
}
