#!/usr/bin/env python3
"""Man pages for sohoa, generated from its command-line parser.

Usage: make-manual.py SOHOA_BINARY OUTPUT_FOLDER

Reads `sohoa --experimental-dump-help` (ArgumentParser's description of every command, option and
help text) and `sohoa config show --json` (the settings and their environment variables) and
writes sohoa.1 (the overview: global options, commands, settings, files, environment, exit
status) and one page per subcommand, sohoa-watch.1, sohoa-repo-list.1 ... in man(7) format.
Only the Python standard library is used.
"""
import json
import os
import subprocess
import sys

SECTION = "1"


def roff(text):
    """Escapes text for roff: backslashes, leading dots and quotes, hyphens in options."""
    text = text.replace("\\", "\\e")
    # Non-ASCII characters as groff's Unicode escapes, so that the pages need no preprocessor.
    text = "".join(c if ord(c) < 128 else "\\[u%04X]" % ord(c) for c in text)
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def option_name(name):
    return roff(name).replace("-", "\\-")


def paragraphs(text):
    """Discussion text as roff: indented lines (examples, tables) kept as they are, the rest filled."""
    out = []
    preformatted = False
    for line in (text or "").split("\n"):
        if line.startswith("  "):
            if not preformatted:
                out.append(".PP\n.nf\n.RS 4")
                preformatted = True
            out.append(roff(line[2:]).replace("-", "\\-"))
            continue
        if preformatted:
            out.append(".RE\n.fi")
            preformatted = False
        if not line.strip():
            continue
        out.append(".PP\n" + roff(line))
    if preformatted:
        out.append(".RE\n.fi")
    return "\n".join(out)


def synopsis_word(argument):
    names = argument.get("names") or []
    preferred = argument.get("preferredName") or (names[0] if names else None)
    value = argument.get("valueName") or "value"
    if argument["kind"] == "positional":
        word = "\\fI" + roff(value) + "\\fR"
        if argument.get("isRepeating"):
            word += " ..."
    else:
        dashes = "--" if preferred["kind"] == "long" else "-"
        word = "\\fB" + option_name(dashes + preferred["name"]) + "\\fR"
        if argument["kind"] == "option":
            word += " \\fI" + roff(value) + "\\fR"
        if argument.get("isRepeating"):
            word += " ..."
    if argument.get("isOptional"):
        word = "[" + word + "]"
    return word


def visible(arguments):
    return [a for a in arguments or [] if a.get("shouldDisplay", True)
            and not (a.get("preferredName") or {}).get("name") in ("help", "version")]


def options_section(arguments):
    out = []
    for argument in visible(arguments):
        if argument["kind"] == "positional":
            label = "\\fI" + roff(argument.get("valueName") or "value") + "\\fR"
        else:
            spellings = []
            for name in argument.get("names") or []:
                dashes = "--" if name["kind"] == "long" else "-"
                spellings.append("\\fB" + option_name(dashes + name["name"]) + "\\fR")
            label = ", ".join(spellings)
            if argument["kind"] == "option":
                label += " \\fI" + roff(argument.get("valueName") or "value") + "\\fR"
        text = roff(argument.get("abstract") or "")
        if argument.get("defaultValue") is not None and argument["kind"] != "flag":
            text += " (default: " + roff(str(argument["defaultValue"])) + ")"
        if argument.get("discussion"):
            text += "\n" + roff(argument["discussion"] if isinstance(argument["discussion"], str) else "")
        out.append(".TP\n" + label + "\n" + text)
    return "\n".join(out)


def header(name, abstract, version):
    return "\n".join([
        '.TH "%s" "%s" "" "sohoa %s" "Sohoa Manual"' % (name.upper(), SECTION, roff(version)),
        ".SH NAME",
        roff(name) + " \\- " + roff(abstract or ""),
    ])


def page(command, path, version):
    name = "-".join(path)
    words = " ".join(path)
    arguments = command.get("arguments") or []
    subcommands = [s for s in command.get("subcommands") or [] if s.get("shouldDisplay", True)
                   and s["commandName"] != "help"]
    synopsis = "\\fB" + roff(words) + "\\fR"
    if subcommands:
        synopsis += " \\fIsubcommand\\fR"
    synopsis += " " + " ".join(synopsis_word(a) for a in visible(arguments))
    out = [header(name, command.get("abstract"), version), ".SH SYNOPSIS", synopsis.strip()]
    out += [".SH DESCRIPTION", roff(command.get("abstract") or "")]
    if command.get("discussion"):
        out.append(paragraphs(command["discussion"]))
    if visible(arguments):
        out += [".SH OPTIONS", options_section(arguments)]
    if subcommands:
        out.append(".SH COMMANDS")
        for sub in subcommands:
            out.append(".TP\n\\fB%s\\fR(%s)\n%s" % (roff("-".join(path + [sub["commandName"]])), SECTION,
                                                   roff(sub.get("abstract") or "")))
    return out


def settings_sections(settings):
    out = [".SH SETTINGS",
           "Each setting is a key of the configuration files and an environment variable; "
           "it stands for the options listed, when they are not given on the command line."]
    for entry in settings:
        out.append(".TP\n\\fB%s\\fR, \\fB%s\\fR\n%s Default: %s. For: %s." % (
            roff(entry["key"]), roff(entry["environment"]), roff(entry.get("summary", "")),
            roff(entry.get("fallback", "")), roff(", ".join(entry.get("options", []))).replace("-", "\\-")))
    out += [".SH FILES",
            ".TP\n\\fI/etc/sohoa/sohoa.toml\\fR\nSettings for every user and the services.",
            ".TP\n\\fI~/.config/sohoa/sohoa.toml\\fR\nThe user's settings ($XDG_CONFIG_HOME/sohoa/sohoa.toml); "
            "they override the system file's.",
            ".SH ENVIRONMENT",
            ".TP\n\\fBSOHOA_CONFIG\\fR\nA configuration file read after the user's (\\fB\\-\\-config\\fR wins over it).",
            ".TP\n\\fBSOHOA_SYSTEM_CONFIG\\fR\nAnother system-wide file instead of /etc/sohoa/sohoa.toml.",
            ".TP\n\\fBSOHOA_LOG_LEVEL\\fR\nThe log level: trace, debug, info (default), notice, warning, error, critical.",
            ".TP\n\\fBTZ\\fR\nThe time zone times are shown in (JSON keeps UTC).",
            ".PP\nThe settings' variables are listed under SETTINGS."]
    return out


def walk(command, path, version, pages):
    pages["-".join(path)] = page(command, path, version)
    for sub in command.get("subcommands") or []:
        if sub["commandName"] == "help" or not sub.get("shouldDisplay", True):
            continue
        walk(sub, path + [sub["commandName"]], version, pages)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, output = sys.argv[1], sys.argv[2]
    # A clean environment: no settings file or variable changes what the pages say.
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/nonexistent",
                   "SOHOA_SYSTEM_CONFIG": "/nonexistent/sohoa.toml", "LANG": "C.UTF-8"}
    dump = json.loads(subprocess.run([binary, "--experimental-dump-help"], check=True, capture_output=True,
                                     env=environment).stdout)
    version = subprocess.run([binary, "--version"], check=True, capture_output=True, text=True,
                             env=environment).stdout.strip()
    settings = json.loads(subprocess.run([binary, "config", "show", "--json"], check=True, capture_output=True,
                                         env=environment).stdout)["settings"]
    pages = {}
    walk(dump["command"], [dump["command"]["commandName"]], version, pages)
    pages["sohoa"] += settings_sections(settings)
    pages["sohoa"] += [".SH EXIT STATUS",
                       "0 success; 1 something was refused or invalid; 2 (verify) nothing invalid, but a "
                       "signature could not be shown valid; 3 usage error, unreadable input or a wrong setting."]
    os.makedirs(output, exist_ok=True)
    for old in os.listdir(output):
        if old.endswith("." + SECTION):
            os.remove(os.path.join(output, old))
    for name, lines in pages.items():
        lines = lines + [".SH SEE ALSO"]
        # The overview names every page; a command's page names the overview, its parent and children.
        others = sorted(n for n in pages if n != name and (name == "sohoa" or n == "sohoa"
                        or name.startswith(n + "-") or n.startswith(name + "-")))
        lines.append(",\n".join("\\fB%s\\fR(%s)" % (roff(n), SECTION) for n in others))
        with open(os.path.join(output, name + "." + SECTION), "w", encoding="utf-8") as file:
            file.write("\n".join(lines) + "\n")
    print("make-manual: %d pages in %s" % (len(pages), output))


if __name__ == "__main__":
    main()
