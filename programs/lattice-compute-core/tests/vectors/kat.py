# Independent implementation of the lattice-compute v2 challenge (AES-128-CTR matrix expansion)
import hashlib, struct
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
def H(*parts):
    h = hashlib.sha256()
    for p in parts: h.update(p)
    return h.digest()
CH = b"lattice-compute/v1/challenge\0"; MT = b"lattice-compute/v2/matrix\0"
def seed(node, ent, n, chain): return H(CH, node, ent, struct.pack('<Q', n), struct.pack('<I', chain))
def expand(s, which, k, n):
    key = H(MT, s, bytes([which]), struct.pack('<I', k))
    enc = Cipher(algorithms.AES(key[:16]), modes.CTR(key[16:])).encryptor()
    return [x - 256 if x > 127 else x for x in enc.update(b'\0' * (n * n))]
def cmat(node, ent, n, chain):
    s = seed(node, ent, n, chain); A = expand(s, ord('A'), 0, n); c = [0] * (n * n)
    for k in range(chain):
        B = expand(s, ord('B'), k, n)
        for i in range(n):
            for j in range(n):
                c[i*n+j] += sum(A[i*n+l] * B[l*n+j] for l in range(n))
    return A, c
def root(c, n):
    level = [H(b'\0', struct.pack('<I', i), b''.join(struct.pack('<i', v) for v in c[i*n:(i+1)*n])) for i in range(n)]
    while len(level) > 1:
        level = [H(b'\1', level[i], level[i+1]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
    return level[0].hex()
s = seed(bytes(32), bytes(32), 4, 1)
print("A", expand(s, ord('A'), 0, 4)); print("B0", expand(s, ord('B'), 0, 4))
_, c = cmat(bytes(32), bytes(32), 4, 1); print("C1", c, root(c, 4))
_, c = cmat(bytes([1])*32, bytes([2])*32, 5, 2); print("C2", c, root(c, 5))
