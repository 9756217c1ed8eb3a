import ArgumentParser
import PharosServer
print("x")
