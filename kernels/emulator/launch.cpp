// Kernel launches on the host: a launch runs its blocks one after another on the calling OS thread, and within a
// block every CUDA thread is a fiber with its own small stack. A fiber runs until it returns or waits at a barrier
// (__syncthreads, or a warp shuffle, which waits for the 32 lanes of its warp); when every fiber left waits, the
// scheduler releases what can go on, or reports a deadlock. Switching is deterministic and only at barriers, threads
// and blocks in order of their index or, to show a race between barriers as a different result, in reverse.
#include "emulator.h"
#include "cuda_host.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <mutex>
#include <vector>

simil_emu_dim3 threadIdx, blockIdx, blockDim, gridDim;

// Every kernel's static __shared__ arrays (cuda_host.h), bounded by the linker; weak where no kernel has any.
extern "C" char __start_simil_shared[] __attribute__((weak)), __stop_simil_shared[] __attribute__((weak));

// Saves the callee-saved registers and the floating-point control words on the current stack, stores its stack
// pointer in *save, and resumes the fiber whose stack pointer is load (x86-64 System V).
extern "C" void simil_emu_switch(void** save, void* load);
asm(R"(
    .text
    .p2align 4
    .globl simil_emu_switch
    .hidden simil_emu_switch
    .type simil_emu_switch, @function
simil_emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size simil_emu_switch, .-simil_emu_switch
)");

namespace {

// Per fiber; a guard page below each stack turns an overflow into a crash rather than corruption.
const size_t STACK_BYTES = 64 << 10, GUARD_BYTES = 4 << 10;
const size_t MAX_SHARED_BYTES = 227 << 10;

enum State : unsigned char { NEW, RUNNABLE, AT_SYNC, AT_SHUFFLE, DONE };

struct Thread {
    void* sp;
    char* stack;  // top of its stack while it holds one
    State state;
    simil_emu_dim3 idx;
    const char* site;  // the __syncthreads it waits at: file:line
    int kind, arg;
    unsigned int bits, result;  // what it gives to a shuffle, what it gets
};

std::mutex launching;  // one launch at a time: kernels' static shared arrays and the state below are global
std::vector<char*> free_stacks;
std::vector<Thread> threads;
Thread* current;
void* scheduler_sp;
const simil_emu_kernel* kernel;
const unsigned char* slots;
std::vector<double> dynamic_shared;  // doubles for 8-byte alignment
int live;
std::string failure;

char* take_stack() {
    if (!free_stacks.empty()) {
        char* top = free_stacks.back();
        free_stacks.pop_back();
        return top;
    }
    void* base = mmap(nullptr, STACK_BYTES + GUARD_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) abort();
    mprotect(base, GUARD_BYTES, PROT_NONE);
    return (char*) base + GUARD_BYTES + STACK_BYTES;
}

void fiber_entry() {
    kernel->call(slots);
    current->state = DONE;
    live--;
    free_stacks.push_back(current->stack);  // nothing runs on it once we have switched away
    current->stack = nullptr;
    void* dead;
    simil_emu_switch(&dead, scheduler_sp);
}

// A stack that simil_emu_switch resumes into fiber_entry, as if called (the return address slot 16-byte aligned).
void* fresh_stack(char* top) {
    uint64_t* sp = (uint64_t*) top;
    *--sp = 0;  // fiber_entry's return address: it never returns
    *--sp = (uint64_t) (uintptr_t) &fiber_entry;
    for (int i = 0; i < 6; i++) *--sp = 0;  // rbp rbx r12 r13 r14 r15
    uint32_t mxcsr;
    uint16_t fpu;
    asm volatile("stmxcsr %0; fnstcw %1" : "=m"(mxcsr), "=m"(fpu));
    *--sp = (uint64_t) mxcsr | (uint64_t) fpu << 32;
    return sp;
}

// Fails the launch from inside a fiber: it is never resumed.
void fail_here(const std::string& why) {
    if (failure.empty()) failure = why;
    simil_emu_switch(&current->sp, scheduler_sp);
    abort();
}

std::string ranges(State state, size_t from, size_t to) {  // "0-31, 40" for the threads in [from, to) in state
    std::string out;
    for (size_t t = from; t < to;) {
        if (threads[t].state != state) { t++; continue; }
        size_t end = t;
        while (end + 1 < to && threads[end + 1].state == state) end++;
        if (!out.empty()) out += ", ";
        out += std::to_string(t) + (end > t ? "-" + std::to_string(end) : "");
        t = end + 1;
    }
    return out;
}

std::string deadlock() {
    std::string at_sync = ranges(AT_SYNC, 0, threads.size()), at_shuffle = ranges(AT_SHUFFLE, 0, threads.size());
    std::string done = ranges(DONE, 0, threads.size());
    std::string why = "deadlock:";
    if (!at_shuffle.empty()) why += " threads " + at_shuffle + " wait at a warp shuffle (it needs all 32 lanes of the warp);";
    if (!at_sync.empty()) why += " threads " + at_sync + " wait at __syncthreads;";
    if (!done.empty()) why += " threads " + done + " have returned;";
    return why + " none can go on";
}

// Every fiber that has not returned waits: lets a full warp's shuffle or the block's __syncthreads go on.
std::string release() {
    bool released = false;
    for (size_t w = 0; w + 32 <= threads.size(); w += 32) {
        Thread* lane = &threads[w];
        bool full = true;
        for (int l = 0; l < 32 && full; l++) full = lane[l].state == AT_SHUFFLE;
        if (!full) continue;
        for (int l = 0; l < 32; l++) {
            if (lane[l].kind != lane[0].kind) return "lanes of the warp of threads " + std::to_string(w) + "-" + std::to_string(w + 31) + " call different shuffles at once";
            int from = lane[l].kind == SIMIL_EMU_SHFL_XOR ? l ^ lane[l].arg : l + lane[l].arg;
            lane[l].result = from >= 0 && from < 32 ? lane[from].bits : lane[l].bits;
        }
        for (int l = 0; l < 32; l++) lane[l].state = RUNNABLE;
        released = true;
    }
    if (released) return "";
    const char* site = nullptr;
    for (Thread& t : threads) {
        if (t.state == DONE) continue;
        if (t.state != AT_SYNC) return deadlock();
        if (site && strcmp(t.site, site) != 0) {
            return "threads " + ranges(AT_SYNC, 0, threads.size()) + " wait at different __syncthreads calls (" + site + " and "
                    + t.site + "; one barrier, reached by every thread, is what CUDA supports)";
        }
        site = t.site;
    }
    for (Thread& t : threads) {
        if (t.state == AT_SYNC) t.state = RUNNABLE;
    }
    return "";
}

void abandon_block() {
    for (Thread& t : threads) {
        if (t.stack) free_stacks.push_back(t.stack);
        t.stack = nullptr;
    }
}

std::string run_block(bool reverse) {
    for (Thread& t : threads) t.state = NEW;
    live = (int) threads.size();
    for (;;) {
        for (size_t i = 0; i < threads.size(); i++) {
            Thread& t = threads[reverse ? threads.size() - 1 - i : i];
            if (t.state == NEW) {
                t.stack = take_stack();
                t.sp = fresh_stack(t.stack);
            } else if (t.state != RUNNABLE) {
                continue;
            }
            current = &t;
            threadIdx = t.idx;
            simil_emu_switch(&scheduler_sp, t.sp);
            if (!failure.empty()) {
                abandon_block();
                return failure;
            }
        }
        if (live == 0) return "";
        std::string stuck = release();
        if (!stuck.empty()) {
            abandon_block();
            return stuck;
        }
    }
}

}  // namespace

extern "C" void simil_emu_syncthreads(const char* site) {
    current->state = AT_SYNC;
    current->site = site;
    simil_emu_switch(&current->sp, scheduler_sp);
}

extern "C" void* simil_emu_dynamic_shared(void) {
    return dynamic_shared.data();
}

extern "C" unsigned int simil_emu_shfl(int kind, unsigned int mask, unsigned int bits, int arg) {
    if (mask != 0xffffffffu) fail_here("a warp shuffle with mask " + std::to_string(mask) + ": only 0xffffffff (all 32 lanes) is supported");
    if (threads.size() % 32 != 0) fail_here("a warp shuffle in a block of " + std::to_string(threads.size()) + " threads, not a multiple of 32");
    current->state = AT_SHUFFLE;
    current->kind = kind;
    current->arg = arg;
    current->bits = bits;
    simil_emu_switch(&current->sp, scheduler_sp);
    return current->result;
}

std::string simil_emu_check_launch(const simil_emu_kernel& k, const simil_emu_launch& l) {
    std::string geometry = std::string(k.name) + ": a grid of " + std::to_string(l.grid[0]) + "x" + std::to_string(l.grid[1]) + "x"
            + std::to_string(l.grid[2]) + " blocks of " + std::to_string(l.block[0]) + "x" + std::to_string(l.block[1]) + "x"
            + std::to_string(l.block[2]) + " threads, " + std::to_string(l.shared_bytes) + " bytes of dynamic shared memory: ";
    for (int d = 0; d < 3; d++) {
        if (l.grid[d] < 1 || l.block[d] < 1) return geometry + "every dimension must be at least 1";
    }
    if (l.grid[0] > 0x7fffffffu || l.grid[1] > 65535 || l.grid[2] > 65535) return geometry + "CUDA allows at most 2^31-1 x 65535 x 65535 blocks";
    if (l.block[0] > 1024 || l.block[1] > 1024 || l.block[2] > 64) return geometry + "CUDA allows blocks of at most 1024 x 1024 x 64";
    if ((unsigned long long) l.block[0] * l.block[1] * l.block[2] > 1024) return geometry + "more than 1024 threads per block";
    if (l.shared_bytes > MAX_SHARED_BYTES) return geometry + "more than 227 KiB of shared memory per block";
    return "";
}

std::string simil_emu_run(const simil_emu_kernel& k, const simil_emu_launch& l, const unsigned char* args) {
    std::lock_guard<std::mutex> hold(launching);
    kernel = &k;
    slots = args;
    failure.clear();
    gridDim = {l.grid[0], l.grid[1], l.grid[2]};
    blockDim = {l.block[0], l.block[1], l.block[2]};
    threads.assign((size_t) l.block[0] * l.block[1] * l.block[2], Thread{});
    size_t t = 0;
    for (unsigned int z = 0; z < l.block[2]; z++) {
        for (unsigned int y = 0; y < l.block[1]; y++) {
            for (unsigned int x = 0; x < l.block[0]; x++) threads[t++].idx = {x, y, z};
        }
    }
    dynamic_shared.resize((l.shared_bytes + 7) / 8 + 1);
    // Shared memory starts out as garbage on a GPU: NaN here (-1 as ints), so that a kernel reading it unwritten
    // shows. Static arrays once per launch (a later block sees an earlier one's values), dynamic ones per block.
    if (__start_simil_shared) memset(__start_simil_shared, 0xff, __stop_simil_shared - __start_simil_shared);
    unsigned long long blocks = (unsigned long long) l.grid[0] * l.grid[1] * l.grid[2];
    for (unsigned long long i = 0; i < blocks; i++) {
        unsigned long long b = l.reverse ? blocks - 1 - i : i;
        unsigned int x = b % l.grid[0], y = b / l.grid[0] % l.grid[1], z = b / l.grid[0] / l.grid[1];
        blockIdx = {x, y, z};
        memset(dynamic_shared.data(), 0xff, l.shared_bytes);
        std::string why = run_block(l.reverse);
        if (!why.empty()) {
            return std::string("kernel ") + k.name + ", block (" + std::to_string(x) + "," + std::to_string(y) + "," + std::to_string(z)
                    + ") of " + std::to_string(threads.size()) + " threads: " + why;
        }
    }
    return "";
}
