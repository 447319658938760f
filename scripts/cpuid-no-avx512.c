// LD_PRELOAD library that hides AVX-512 from CPUID for the whole process, so native libraries that pick their
// kernels by CPUID alone (ONNX Runtime's MLAS has no switch) run their AVX2/FMA code on an AVX-512 CPU.
// Built and used by scripts/bench-vs-ort --isa avx2. Code runs natively; only the CPUID instruction traps:
// Linux CPUID faulting (arch_prctl ARCH_SET_CPUID, x86 "cpuid_fault" flag) turns each CPUID into a SIGSEGV whose
// handler executes the real CPUID with faulting briefly off, clears the AVX-512 bits and skips the instruction.
// Faulting is per thread and inherited by threads created later; execve resets it. The process keeps this
// library's SIGSEGV handler: sigaction/signal calls for SIGSEGV are interposed and recorded, and faults that are
// not CPUID go to the handler the program asked for (node resets every disposition at start-up and installs its own).
// PADDLENET_CPUID_MASK_VERBOSE=1 prints, at exit, how many CPUID leaf-7 queries were masked (proof it was used).
#define _GNU_SOURCE
#include <asm/prctl.h>
#include <dlfcn.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static atomic_long masked_queries;
static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);
static struct sigaction app_action; // what the program last asked for SIGSEGV (SIG_DFL at start)

static int set_cpuid_enabled(int enabled) { return (int)syscall(SYS_arch_prctl, ARCH_SET_CPUID, enabled); }

static void real_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static void on_segv(int sig, siginfo_t *info, void *ctx)
{
    ucontext_t *uc = ctx;
    greg_t *g = uc->uc_mcontext.gregs;
    const uint8_t *ip = (const uint8_t *)g[REG_RIP];
    if (info->si_code != SI_KERNEL || ip[0] != 0x0F || ip[1] != 0xA2)
    {
        // Not a CPUID fault: the program's own handler, else the default action (the instruction faults again).
        if (app_action.sa_flags & SA_SIGINFO)
        {
            app_action.sa_sigaction(sig, info, ctx);
            return;
        }
        if (app_action.sa_handler != SIG_DFL && app_action.sa_handler != SIG_IGN)
        {
            app_action.sa_handler(sig);
            return;
        }
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        real_sigaction(sig, &dfl, NULL);
        return;
    }
    uint32_t leaf = (uint32_t)g[REG_RAX], sub = (uint32_t)g[REG_RCX], r[4];
    set_cpuid_enabled(1);
    real_cpuid(leaf, sub, r);
    set_cpuid_enabled(0);
    if (leaf == 7 && sub == 0)
    {
        // EBX: AVX512F, DQ, IFMA, PF, ER, CD, BW, VL. ECX: VBMI, VBMI2, VNNI, BITALG, VPOPCNTDQ.
        // EDX: 4VNNIW, 4FMAPS, VP2INTERSECT, FP16.
        r[1] &= ~((1u << 16) | (1u << 17) | (1u << 21) | (1u << 26) | (1u << 27) | (1u << 28) | (1u << 30) | (1u << 31));
        r[2] &= ~((1u << 1) | (1u << 6) | (1u << 11) | (1u << 12) | (1u << 14));
        r[3] &= ~((1u << 2) | (1u << 3) | (1u << 8) | (1u << 23));
        atomic_fetch_add(&masked_queries, 1);
    }
    else if (leaf == 7 && sub == 1)
    {
        r[0] &= ~(1u << 5); // AVX512_BF16
    }
    else if (leaf == 0xD && sub == 0)
    {
        r[0] &= ~0xE0u; // XCR0 components opmask, ZMM_Hi256, Hi16_ZMM reported as unsupported
    }
    g[REG_RAX] = r[0];
    g[REG_RBX] = r[1];
    g[REG_RCX] = r[2];
    g[REG_RDX] = r[3];
    g[REG_RIP] += 2;
}

static void report(void)
{
    if (getenv("PADDLENET_CPUID_MASK_VERBOSE"))
        fprintf(stderr, "cpuid-no-avx512: %ld CPUID leaf-7 queries answered without AVX-512\n", atomic_load(&masked_queries));
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
    if (!real_sigaction) real_sigaction = (int (*)(int, const struct sigaction *, struct sigaction *))dlsym(RTLD_NEXT, "sigaction");
    if (sig != SIGSEGV) return real_sigaction(sig, act, old);
    if (old) *old = app_action;
    if (act) app_action = *act;
    return 0;
}

sighandler_t signal(int sig, sighandler_t handler)
{
    struct sigaction act, old;
    memset(&act, 0, sizeof act);
    act.sa_handler = handler;
    act.sa_flags = SA_RESTART;
    sigemptyset(&act.sa_mask);
    return sigaction(sig, &act, &old) == 0 ? old.sa_handler : SIG_ERR;
}

__attribute__((constructor)) static void install(void)
{
    real_sigaction = (int (*)(int, const struct sigaction *, struct sigaction *))dlsym(RTLD_NEXT, "sigaction");
    app_action.sa_handler = SIG_DFL;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (real_sigaction(SIGSEGV, &sa, NULL) != 0 || set_cpuid_enabled(0) != 0)
    {
        // Refuse to run unrestricted while the caller believes AVX-512 is hidden.
        fprintf(stderr, "cpuid-no-avx512: CPUID faulting unavailable on this CPU/kernel (needs the cpuid_fault flag)\n");
        _exit(3);
    }
    atexit(report);
}
