"""Rewrites a tlsfuzzer timing capture so that each TCP connection's packets are contiguous.

tlsfuzzer's extract.py reads a capture as one connection after another: a packet of an earlier
connection that arrives after the next SYN (typically the server's FIN, retransmitted when a
loaded client was slow to close) is taken for the current connection and the extraction stops
("client message ACKs mismatch"). Grouping the packets by connection, in the order the
connections started, keeps every timestamp and removes the interleaving; the connections stay
in log order. Usage: timing_pcap_regroup.py CAPTURE SERVER_PORT OUT (needs dpkt).
"""

import sys

import dpkt


def regroup(src, port, dst):
    connections = {}  # client port -> list of (ts, raw), in SYN order (dicts keep insertion order)
    current = {}  # client port -> key of its latest connection
    stray = 0
    with open(src, "rb") as f:
        reader = dpkt.pcap.Reader(f)
        snaplen, linktype = reader.snaplen, reader.datalink()
        nano = reader.nano if hasattr(reader, "nano") else False
        for ts, buf in reader:
            tcp = dpkt.ethernet.Ethernet(buf).data.data
            if not isinstance(tcp, dpkt.tcp.TCP) or port not in (tcp.sport, tcp.dport):
                continue
            client = tcp.sport if tcp.dport == port else tcp.dport
            if tcp.flags & dpkt.tcp.TH_SYN and not tcp.flags & dpkt.tcp.TH_ACK:
                key = (client, len(connections))
                current[client] = key
                connections[key] = []
            key = current.get(client)
            if key is None:
                stray += 1
                continue
            connections[key].append((ts, buf))
    with open(dst, "wb") as f:
        writer = dpkt.pcap.Writer(f, snaplen=snaplen, linktype=linktype, nano=nano)
        for packets in connections.values():
            for ts, buf in packets:
                writer.writepkt(buf, ts=ts)
    return len(connections), stray


if __name__ == "__main__":
    n, stray = regroup(sys.argv[1], int(sys.argv[2]), sys.argv[3])
    print(f"{n} connections regrouped, {stray} packets before any SYN left out")
