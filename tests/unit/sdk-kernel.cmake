# The SDK's kernel-stage helpers (Berth::kernel): module index parsing, dependency closure,
# the built-in module lists, kernel tree discovery and the shared config keys.
berth_unit_test(sdk-kernel_test SOURCES sdk_kernel_test.cpp LIBS Berth::kernel)
