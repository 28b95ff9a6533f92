/*
 * version.h - the version as strings, for the .rc and the C code alike.
 * The numbers come from the build (CMake's project version, passed as WSK_VERSION_MAJOR/MINOR/PATCH;
 * Directory.Build.props for Visual Studio, checked against CMake by tests/tools/check_vcxproj.py).
 */
#ifndef WSK_VERSION_H
#define WSK_VERSION_H

#if !defined(WSK_VERSION_MAJOR) || !defined(WSK_VERSION_MINOR) || !defined(WSK_VERSION_PATCH)
#error "the build must define WSK_VERSION_MAJOR, WSK_VERSION_MINOR and WSK_VERSION_PATCH"
#endif

#define WSK_STRINGIFY2(x) #x
#define WSK_STRINGIFY(x) WSK_STRINGIFY2(x)
#define WSK_VERSION_STR \
    WSK_STRINGIFY(WSK_VERSION_MAJOR) "." WSK_STRINGIFY(WSK_VERSION_MINOR) "." WSK_STRINGIFY(WSK_VERSION_PATCH)

/* The same as a wide literal. MSVC refuses to join narrow and wide literals (C2308), so every piece is wide. */
#define WSK_WIDEN2(s) L##s
#define WSK_WIDEN(s) WSK_WIDEN2(s)
#define WSK_VERSION_WSTR                                                                \
    WSK_WIDEN(WSK_STRINGIFY(WSK_VERSION_MAJOR)) L"." WSK_WIDEN(WSK_STRINGIFY(WSK_VERSION_MINOR)) L"." \
    WSK_WIDEN(WSK_STRINGIFY(WSK_VERSION_PATCH))

#endif
