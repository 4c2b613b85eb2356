"""Job functions the scheduler tests call by dotted path."""

calls: list[str] = []


def succeed():
    calls.append("succeed")
    return "3 rows done"


def succeed_quietly():
    calls.append("succeed_quietly")


def fail():
    calls.append("fail")
    raise ValueError("the source file is missing")
